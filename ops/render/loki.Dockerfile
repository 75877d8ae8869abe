# Render private service textbook-rag-loki (context: ops/): 30-day log retention on the persistent disk at /loki.
FROM grafana/loki:3.1.1
COPY loki/loki.yml /etc/loki/loki.yml
USER root
EXPOSE 3100
CMD ["-config.file=/etc/loki/loki.yml"]
