# Render private service textbook-rag-blackbox (context: ops/): the synthetic probe of the public API.
FROM prom/blackbox-exporter:v0.25.0
COPY blackbox/blackbox.yml /etc/blackbox/blackbox.yml
EXPOSE 9115
CMD ["--config.file=/etc/blackbox/blackbox.yml", "--web.listen-address=0.0.0.0:9115"]
