# Render private service textbook-rag-alertmanager (context: ops/). Secret files on Render, mounted at /etc/secrets/
# and read through the link below: pagerduty_routing_key, slack_webhook_url, smtp_password, opsgenie_api_key,
# opsgenie_heartbeat_api_key (names as in alertmanager/secrets.example/).
FROM prom/alertmanager:v0.27.0
COPY alertmanager/alertmanager.yml /etc/alertmanager/alertmanager.yml
USER root
RUN ln -s /etc/secrets /etc/alertmanager/secrets
EXPOSE 9093
# One instance: no gossip cluster to form.
CMD ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager", \
     "--cluster.listen-address=", "--web.listen-address=0.0.0.0:9093"]
