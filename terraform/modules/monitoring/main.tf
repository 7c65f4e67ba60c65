# Log-based metrics over the lines the functions write (shared/ops/ops_log.ts and the runtime
# wrappers in functions/_runtime) and the alert policies on them. test/terraform/monitoring.test.ts
# runs each filter against lines built by that code.

locals {
  metric_prefix = "logging.googleapis.com/user"
}

# One per failed invocation, read from the wrappers' one line per invocation only: an HTTP answer
# of 5xx (httpRequest is a special field: Cloud Logging lifts it out of jsonPayload), an event
# acknowledged as a dead letter, or an event failure that will be retried. The ERROR lines a
# run writes on its way (a failing source of fetch, a corrupt hour of load, a Slack delivery of
# score) are not invocations: counting them would fire on one bad run of a three-source fetch.
resource "google_logging_metric" "function_failures" {
  project     = var.project_id
  name        = "dex_function_failures"
  description = "Failed invocations of the dex-anomaly functions, by function."
  filter      = <<-EOT
    resource.type="cloud_run_revision"
    jsonPayload.function:*
    (httpRequest.status>=500 OR jsonPayload.acknowledged=true OR (jsonPayload.event_id:* AND jsonPayload.error.retryable=true))
  EOT

  label_extractors = {
    function = "EXTRACT(jsonPayload.function)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "function"
      value_type = "STRING"
    }
  }
}

resource "google_logging_metric" "freshness_lag" {
  project         = var.project_id
  name            = "dex_freshness_lag_hours"
  description     = "Hours between now and the newest fetched, loaded or scored hour, by stage and source."
  value_extractor = "EXTRACT(jsonPayload.freshness.lag_hours)"
  filter          = <<-EOT
    resource.type="cloud_run_revision"
    jsonPayload.freshness.lag_hours>=0
  EOT

  label_extractors = {
    kind   = "EXTRACT(jsonPayload.freshness.kind)"
    source = "EXTRACT(jsonPayload.freshness.source)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "h"
    labels {
      key        = "kind"
      value_type = "STRING"
    }
    labels {
      key        = "source"
      value_type = "STRING"
    }
  }

  bucket_options {
    linear_buckets {
      num_finite_buckets = 48
      width              = 1
      offset             = 0
    }
  }
}

resource "google_logging_metric" "alert_rate" {
  project         = var.project_id
  name            = "dex_alert_rate"
  description     = "Share of scored pools that alerted in a scoring run, by source."
  value_extractor = "EXTRACT(jsonPayload.alert_rate.rate)"
  filter          = <<-EOT
    resource.type="cloud_run_revision"
    jsonPayload.alert_rate.rate>=0
  EOT

  label_extractors = {
    source = "EXTRACT(jsonPayload.alert_rate.source)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
    labels {
      key        = "source"
      value_type = "STRING"
    }
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 20
      growth_factor      = 2
      scale              = 0.0001
    }
  }
}

resource "google_logging_metric" "slack_failures" {
  project     = var.project_id
  name        = "dex_slack_delivery_failures"
  description = "Slack messages that could not be delivered."
  filter      = <<-EOT
    resource.type="cloud_run_revision"
    jsonPayload.slack_delivery.ok=false
  EOT

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_monitoring_alert_policy" "function_failing" {
  project               = var.project_id
  display_name          = "dex-anomaly: a function is failing repeatedly"
  combiner              = "OR"
  notification_channels = var.notification_channels

  documentation {
    mime_type = "text/markdown"
    content   = "More than ${var.failures_per_hour} failed invocations of one function within an hour. Read its ERROR and WARNING lines in Cloud Logging (jsonPayload.function); dead letters are in dex_ops.dead_letters."
  }

  conditions {
    display_name = "failures per function per hour"
    condition_threshold {
      filter          = "metric.type=\"${local.metric_prefix}/${google_logging_metric.function_failures.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.failures_per_hour
      duration        = "0s"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.function"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }
}

resource "google_monitoring_alert_policy" "data_stale" {
  project               = var.project_id
  display_name          = "dex-anomaly: data is going stale"
  combiner              = "OR"
  notification_channels = var.notification_channels

  documentation {
    mime_type = "text/markdown"
    content   = "The newest fetched, loaded or scored hour of a source is older than its threshold, or the stage stopped reporting. Check the stage's function (fetch, load, score) and the Dataform workflow hourly-mart."
  }

  dynamic "conditions" {
    for_each = var.stale_after_hours
    content {
      display_name = "newest ${conditions.key} hour older than ${conditions.value} h"
      condition_threshold {
        filter          = "metric.type=\"${local.metric_prefix}/${google_logging_metric.freshness_lag.name}\" AND resource.type=\"cloud_run_revision\" AND metric.label.kind=\"${conditions.key}\""
        comparison      = "COMPARISON_GT"
        threshold_value = conditions.value
        duration        = "0s"
        aggregations {
          alignment_period     = "3600s"
          per_series_aligner   = "ALIGN_PERCENTILE_99"
          cross_series_reducer = "REDUCE_MAX"
          group_by_fields      = ["metric.label.source"]
        }
        trigger {
          count = 1
        }
      }
    }
  }

  dynamic "conditions" {
    for_each = var.stale_after_hours
    content {
      display_name = "no ${conditions.key} freshness line for ${conditions.value + 1} h"
      condition_absent {
        filter   = "metric.type=\"${local.metric_prefix}/${google_logging_metric.freshness_lag.name}\" AND resource.type=\"cloud_run_revision\" AND metric.label.kind=\"${conditions.key}\""
        duration = "${(conditions.value + 1) * 3600}s"
        aggregations {
          alignment_period     = "3600s"
          per_series_aligner   = "ALIGN_PERCENTILE_99"
          cross_series_reducer = "REDUCE_MAX"
          group_by_fields      = ["metric.label.source"]
        }
        trigger {
          count = 1
        }
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }
}

resource "google_monitoring_alert_policy" "alert_rate_out_of_band" {
  project               = var.project_id
  display_name          = "dex-anomaly: alert rate outside its expected band"
  combiner              = "OR"
  notification_channels = var.notification_channels

  documentation {
    mime_type = "text/markdown"
    content   = "The share of scored pools alerting has been above ${var.alert_rate_band.max} for 3 hours or below ${var.alert_rate_band.min} for 12 hours: a broken feed, a drifted model or a threshold to revisit. Compare dex_looker.model_metrics and dex_looker.latest_scores."
  }

  conditions {
    display_name = "alert rate above ${var.alert_rate_band.max}"
    condition_threshold {
      filter          = "metric.type=\"${local.metric_prefix}/${google_logging_metric.alert_rate.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_rate_band.max
      duration        = "10800s"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_PERCENTILE_50"
        cross_series_reducer = "REDUCE_MEAN"
        group_by_fields      = ["metric.label.source"]
      }
      trigger {
        count = 1
      }
    }
  }

  conditions {
    display_name = "alert rate below ${var.alert_rate_band.min}"
    condition_threshold {
      filter          = "metric.type=\"${local.metric_prefix}/${google_logging_metric.alert_rate.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_LT"
      threshold_value = var.alert_rate_band.min
      duration        = "43200s"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_PERCENTILE_50"
        cross_series_reducer = "REDUCE_MEAN"
        group_by_fields      = ["metric.label.source"]
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }
}

resource "google_monitoring_alert_policy" "slack_failing" {
  project               = var.project_id
  display_name          = "dex-anomaly: Slack deliveries failing"
  combiner              = "OR"
  notification_channels = var.notification_channels

  documentation {
    mime_type = "text/markdown"
    content   = "score could not deliver alerts to Slack (jsonPayload.slack_delivery.error says why: an invalid token, a missing channel, rate limits). The alerts are still in dex_anomaly.alerts."
  }

  conditions {
    display_name = "failed Slack deliveries in the last hour"
    condition_threshold {
      filter          = "metric.type=\"${local.metric_prefix}/${google_logging_metric.slack_failures.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_SUM"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }
}
