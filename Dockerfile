# kmsd container image: the static kmsd binary on an empty base (FROM
# scratch), running as an unprivileged user, with its data in /data.
#
#   docker build -t kmsd --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg REVISION=$(git rev-parse HEAD) .
#   docker run -p 127.0.0.1:8080:8080 -v kmsd-data:/data kmsd
#
# The binary is built without cgo, so this image has no PKCS#11 root key
# (loading a token's C library needs cgo): the root key is the file
# /data/root.key. For an HSM, build kmsd with CGO_ENABLED=1 on a base image
# that has a C library and the token's module. deploy/compose.yaml runs
# three nodes on PostgreSQL (docs/deploy.md). cmd/kmsd's TestImage builds
# the binary as below and runs the ENTRYPOINT, CMD, ENV and HEALTHCHECK of
# the final stage against it.

ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The build context has no .git, so the version and revision that
# "kmsd version" prints come from these arguments.
ARG VERSION=
ARG REVISION=
ENV CGO_ENABLED=0
RUN go build -trimpath -buildvcs=false -ldflags "-s -w -X github.com/kmsd/kmsd/internal/cli.version=${VERSION} -X github.com/kmsd/kmsd/internal/cli.revision=${REVISION}" -o /out/kmsd ./cmd/kmsd
# The directories of the final stage: the data volume, owned by the user
# kmsd runs as, and a /tmp for SQLite's temporary files.
RUN mkdir -m 0700 /out/data && chown 65532:65532 /out/data && mkdir -m 1777 /out/tmp

FROM scratch
COPY --from=build /out/kmsd /kmsd
COPY --from=build /out/data /data
COPY --from=build /out/tmp /tmp
USER 65532:65532
ENV KMSD_DATA=/data KMSD_LISTEN=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["/kmsd", "healthcheck"]
ENTRYPOINT ["/kmsd"]
CMD ["serve"]
