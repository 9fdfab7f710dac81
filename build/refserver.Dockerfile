# The reference server as an image. No base image can be pulled on this
# project's machines, so it is FROM scratch with a static binary that
# `make image` builds first (CGO_ENABLED=0) and puts in the build context.
FROM scratch
COPY refserver /refserver
EXPOSE 8080
ENV REFSERVER_ADDR=0.0.0.0:8080
USER 65534:65534
ENTRYPOINT ["/refserver"]
