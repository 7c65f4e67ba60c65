output "log_metrics" {
  description = "Names of the log-based metrics."
  value = [
    google_logging_metric.function_failures.name,
    google_logging_metric.freshness_lag.name,
    google_logging_metric.alert_rate.name,
    google_logging_metric.slack_failures.name,
  ]
}
