# Render private service textbook-rag-prometheus: the official image with this repository's config and rules baked
# in (context: ops/). Secret file on Render: metrics_token (= the API's METRICS_TOKEN), mounted at /etc/secrets/.
FROM prom/prometheus:v2.53.0
COPY prometheus/prometheus.render.yml /etc/prometheus/prometheus.yml
COPY prometheus/rules /etc/prometheus/rules
# Render mounts the persistent disk owned by root.
USER root
EXPOSE 9090
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", \
     "--storage.tsdb.retention.time=40d", "--web.listen-address=0.0.0.0:9090"]
