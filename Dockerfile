# The Novu integrations mock as a container: a static binary on scratch.
#
#   docker build -t novumock .
#   docker run --rm --name novu-mock -p 127.0.0.1:3000:3000 novumock
#
# Every flag has a NOVU_MOCK_* environment twin (see the README's flag table),
# so the container is configured with -e alone; flags after the image name
# work too (docker run ... novumock --addr :8080).

FROM golang:1.26-alpine AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
RUN go build -trimpath -ldflags="-s -w" -o /out/mockserver ./cmd/mockserver
# scratch has no /tmp; the server writes its address file there (see below).
# A /tmp like any other (mode 1777), copied as an entry of /out/root/ so it
# keeps its mode: a COPY's destination directory itself is made by the builder.
RUN mkdir -p /out/root && mkdir -m 1777 /out/root/tmp

FROM scratch
COPY --from=build /out/mockserver /mockserver
COPY --from=build /out/root/ /
# Not root: 65532 is the conventional "nonroot" uid of distroless images.
USER 65532:65532
EXPOSE 3000
# Listen on every interface of the container. Without this the binary's own
# default applies, localhost:3000: reachable only from inside the container,
# so `docker run -p` would forward to nothing.
ENV NOVU_MOCK_ADDR=:3000
# The server writes the address it actually listens on here, and `mockserver
# health` reads it: the health check follows `--addr :8080` given after the
# image name, which the HEALTHCHECK's environment knows nothing of.
ENV NOVU_MOCK_ADDR_FILE=/tmp/novu-mock.addr
# No shell or curl in scratch: the binary probes its own readiness route.
HEALTHCHECK --interval=2s --timeout=2s --start-period=1s --retries=3 CMD ["/mockserver", "health"]
ENTRYPOINT ["/mockserver"]
