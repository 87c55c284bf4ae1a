# The Novu integrations mock as a container: a static binary on scratch.
#
#   docker build -t novumock .
#   docker run --rm -p 3000:3000 novumock
#
# Every flag has a NOVU_MOCK_* environment twin (see the README's flag table),
# so the container is configured with -e alone.

FROM golang:1.26-alpine AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
RUN go build -trimpath -ldflags="-s -w" -o /out/mockserver ./cmd/mockserver

FROM scratch
COPY --from=build /out/mockserver /mockserver
# Not root: 65532 is the conventional "nonroot" uid of distroless images.
USER 65532:65532
EXPOSE 3000
ENV NOVU_MOCK_ADDR=:3000
# No shell or curl in scratch: the binary probes its own readiness route.
HEALTHCHECK --interval=2s --timeout=2s --start-period=1s --retries=3 CMD ["/mockserver", "health"]
ENTRYPOINT ["/mockserver"]
