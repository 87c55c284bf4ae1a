# The Novu integrations mock as a container: a static binary on scratch.
#
#   docker build -t ghcr.io/novumock/novumock:dev .
#   docker run --rm --name novu-mock -p 127.0.0.1:3000:3000 ghcr.io/novumock/novumock:dev
#
# Every flag has a NOVU_MOCK_* environment twin (see the README's flag table),
# so the container is configured with -e alone; flags after the image name
# work too (docker run ... ghcr.io/novumock/novumock:dev --addr :8080).
#
# Any architecture, no emulation: the build stage runs on the build machine's
# own platform and cross-compiles for the target's (pure Go, CGO off), so
#   docker build --platform linux/arm64 -t ghcr.io/novumock/novumock:dev-arm64 .
# gives an arm64 image on an amd64 machine, and the other way round.
#
# Build arguments (all optional):
#   VERSION   what `mockserver version` prints and the image's version label;
#             empty: the version from the Go build information, "(devel)"
#   REVISION  the commit it was built from, for the revision label
#   SOURCE    the repository, for the source label

FROM --platform=$BUILDPLATFORM golang:1.26-alpine AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY internal ./internal
# Set by the builder from --platform (BuildKit does; empty for the legacy
# builder, which then builds for its own platform).
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=""
# The build cache outlives the build (a cache mount): another VERSION or a
# change in one package recompiles only what changed.
RUN --mount=type=cache,target=/root/.cache/go-build \
    GOCACHE=/root/.cache/go-build GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags="-s -w -X main.buildVersion=$VERSION" -o /out/mockserver ./cmd/mockserver
# scratch has no /tmp; the server writes its address file there (see below).
# A /tmp like any other (mode 1777), copied as an entry of /out/root/ so it
# keeps its mode: a COPY's destination directory itself is made by the builder.
RUN mkdir -p /out/root && mkdir -m 1777 /out/root/tmp
# A /data the server's user owns, for --state on a volume: Docker gives an
# empty named volume the owner of the directory it is mounted on, so
# `-v novu-data:/data` is writable (without it, the volume is root's and the
# state file cannot be written).
RUN mkdir -p /out/data/data

FROM scratch
ARG VERSION=""
ARG REVISION=""
ARG SOURCE=https://github.com/novumock/novumock
# OCI annotations (https://github.com/opencontainers/image-spec/blob/main/annotations.md).
# No licenses label: the project has no license file yet.
LABEL org.opencontainers.image.title="novumock" \
      org.opencontainers.image.description="Novu's integrations API, locally: a mock server with an in-memory store seeded with demo data" \
      org.opencontainers.image.source="$SOURCE" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION"
COPY --from=build /out/mockserver /mockserver
COPY --from=build /out/root/ /
COPY --from=build --chown=65532:65532 /out/data/ /
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
