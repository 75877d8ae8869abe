# Render web service textbook-rag-grafana (context: ops/): datasources and dashboards provisioned from this
# repository; PROMETHEUS_URL, LOKI_URL and GF_SECURITY_ADMIN_PASSWORD come from render.yaml / the dashboard.
FROM grafana/grafana:11.1.0
COPY grafana/provisioning /etc/grafana/provisioning
COPY grafana/dashboards /var/lib/grafana/dashboards
EXPOSE 3000
