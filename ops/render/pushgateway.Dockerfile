# Render private service textbook-rag-pushgateway (context: ops/): receives the backup job's outcome; persisted on
# the disk at /data so a restart does not lose the last success time (which would raise RagBackupNeverReported).
FROM prom/pushgateway:v1.9.0
USER root
EXPOSE 9091
CMD ["--persistence.file=/data/pushgateway.db", "--persistence.interval=1m", "--web.listen-address=0.0.0.0:9091"]
