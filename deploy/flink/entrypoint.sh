#!/usr/bin/env bash
# Files and folders Flink writes to the data folder it shares with DF and Kafka Connect (batch
# results, savepoints, stream-back files) stay writable by the group the three share
# (docker-compose.yml); the image's own entrypoint does the rest.
umask 0002
exec /docker-entrypoint.sh "$@"
