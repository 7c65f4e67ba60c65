# Datasets, every table the code writes (schemas generated from shared/ by npm run gen:schemas),
# the external table over raw/ and the Looker Studio views.

locals {
  datasets = {
    dex_raw                = "Raw pool-hours as fetched: the external table over raw/ (hive partitions source/dt/hour)."
    dex_ops                = "Operational tables: ingestion log, dead letters, model runs."
    dex_anomaly            = "The Dataform staging and feature mart, and the scores and alerts."
    dex_anomaly_assertions = "Dataform assertion results."
    dex_looker             = "Views for Looker Studio (read-only consumers get roles/bigquery.dataViewer here only)."
  }

  # One file per table: the definition the BigQuery adapter sends to tables.insert.
  table_files = {
    for f in fileset(var.schemas_dir, "*.json") : trimsuffix(f, ".json") => jsondecode(replace(file("${var.schemas_dir}/${f}"), "@RAW_URI_PREFIX@", var.raw_uri_prefix))
  }
  native_tables   = { for k, v in local.table_files : k => v if !can(v.externalDataConfiguration) }
  external_tables = { for k, v in local.table_files : k => v if can(v.externalDataConfiguration) }

  # A view is created once every registry table it reads exists (train and score add theirs).
  views = {
    latest_scores = {
      description = "Each pool's newest score, with its rank among the pools scored that hour."
      reads       = ["dex_anomaly.pool_scores"]
      mart        = false
    }
    alerts = {
      description = "Every alert sent, newest first, with the pool's score and features at the time."
      reads       = ["dex_anomaly.alerts"]
      mart        = false
    }
    model_metrics = {
      description = "PR-AUC, Precision@10 and Recall@10 of every training run, one row per run."
      reads       = ["dex_ops.model_runs"]
      mart        = false
    }
    pool_features_scores_30d = {
      description = "The last 30 days of features and scores side by side, one row per pool and hour."
      reads       = ["dex_anomaly.pool_scores"]
      mart        = true
    }
  }
  enabled_views = {
    for k, v in local.views : k => v if alltrue([for t in v.reads : contains(keys(local.native_tables), t)]) && (var.create_mart_views || !v.mart)
  }
}

resource "google_bigquery_dataset" "this" {
  for_each    = local.datasets
  project     = var.project_id
  dataset_id  = each.key
  location    = var.location
  description = each.value
}

resource "google_bigquery_table" "native" {
  for_each            = local.native_tables
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.this[split(".", each.key)[0]].dataset_id
  table_id            = split(".", each.key)[1]
  schema              = jsonencode(each.value.schema.fields)
  clustering          = try(each.value.clustering.fields, null)
  deletion_protection = var.deletion_protection

  dynamic "time_partitioning" {
    for_each = can(each.value.timePartitioning) ? [each.value.timePartitioning] : []
    content {
      type  = time_partitioning.value.type
      field = time_partitioning.value.field
    }
  }
}

resource "google_bigquery_table" "external" {
  for_each            = local.external_tables
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.this[split(".", each.key)[0]].dataset_id
  table_id            = split(".", each.key)[1]
  deletion_protection = var.deletion_protection

  external_data_configuration {
    source_format         = each.value.externalDataConfiguration.sourceFormat
    compression           = each.value.externalDataConfiguration.compression
    source_uris           = each.value.externalDataConfiguration.sourceUris
    ignore_unknown_values = each.value.externalDataConfiguration.ignoreUnknownValues
    autodetect            = false
    schema                = jsonencode(each.value.externalDataConfiguration.schema.fields)

    hive_partitioning_options {
      mode                     = each.value.externalDataConfiguration.hivePartitioningOptions.mode
      source_uri_prefix        = each.value.externalDataConfiguration.hivePartitioningOptions.sourceUriPrefix
      require_partition_filter = each.value.externalDataConfiguration.hivePartitioningOptions.requirePartitionFilter
    }
  }
}

resource "google_bigquery_table" "views" {
  for_each            = local.enabled_views
  project             = var.project_id
  dataset_id          = google_bigquery_dataset.this["dex_looker"].dataset_id
  table_id            = each.key
  description         = each.value.description
  deletion_protection = false

  view {
    query          = templatefile("${var.views_dir}/${each.key}.sql", { project = var.project_id })
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.native]
}
