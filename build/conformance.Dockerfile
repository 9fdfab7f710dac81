# The harness itself as an image, features embedded. No base image can be
# pulled on this project's machines, so it is FROM scratch: `make
# tool-image` puts in rootfs/ the static binary (CGO_ENABLED=0) and, when
# the builder has one, its CA bundle, so that https targets can be verified.
# The harness needs nothing else at run time: no shell, no /tmp, no HOME
# (those serve only --image, which needs a Docker engine this image lacks).
FROM scratch
COPY rootfs/ /
# Not root; to write evidence to a mounted folder the host can read, run it
# as the host user: docker run --user "$(id -u):$(id -g)" ...
USER 65534:65534
ENTRYPOINT ["/conformance"]
CMD ["run"]
