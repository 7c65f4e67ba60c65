# One Cloud Functions gen2 function built from its own bundle, with its own service account and
# only the roles it needs, each on the narrowest resource.

resource "google_service_account" "this" {
  project      = var.project_id
  account_id   = "fn-${var.name}"
  display_name = "dex-anomaly ${var.name} function"
}

data "archive_file" "source" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "${path.root}/.build/${var.name}.zip"
}

# Named by content hash: a changed bundle is a new object, which makes terraform redeploy.
resource "google_storage_bucket_object" "source" {
  name   = "functions/${var.name}/${data.archive_file.source.output_md5}.zip"
  bucket = var.source_bucket
  source = data.archive_file.source.output_path
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  location    = var.region
  name        = "dex-${var.name}"
  description = var.description

  build_config {
    runtime         = "nodejs22"
    entry_point     = var.name
    service_account = var.build_service_account
    source {
      storage_source {
        bucket = var.source_bucket
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.this.email
    environment_variables            = merge(var.environment, { for k, v in var.optional_environment : k => v if v != "" })
    available_memory                 = var.memory
    available_cpu                    = var.cpu
    timeout_seconds                  = var.timeout_seconds
    min_instance_count               = 0
    max_instance_count               = var.max_instances
    max_instance_request_concurrency = var.concurrency
    ingress_settings                 = var.ingress
    all_traffic_on_latest_revision   = true

    dynamic "secret_environment_variables" {
      for_each = var.secret_environment
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }

  dynamic "event_trigger" {
    for_each = var.event_trigger == null ? [] : [var.event_trigger]
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
      pubsub_topic          = event_trigger.value.pubsub_topic
      service_account_email = event_trigger.value.service_account_email
      retry_policy          = "RETRY_POLICY_RETRY"
    }
  }
}

resource "google_secret_manager_secret_iam_member" "reads" {
  for_each  = var.secrets
  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.this.email}"
}

resource "google_storage_bucket_iam_member" "this" {
  for_each = var.bucket_roles
  bucket   = each.value.bucket
  role     = each.value.role
  member   = "serviceAccount:${google_service_account.this.email}"
}

resource "google_bigquery_dataset_iam_member" "this" {
  for_each   = var.dataset_roles
  project    = var.project_id
  dataset_id = each.value.dataset
  role       = each.value.role
  member     = "serviceAccount:${google_service_account.this.email}"
}

# A table the function writes, in a dataset it otherwise only reads or looks up: the grant is on
# that table alone (terraform creates every such table, so it exists before the grant).
resource "google_bigquery_table_iam_member" "this" {
  for_each   = var.table_roles
  project    = var.project_id
  dataset_id = split("/", each.value.table)[3]
  table_id   = split("/", each.value.table)[5]
  role       = each.value.role
  member     = "serviceAccount:${google_service_account.this.email}"
}

resource "google_project_iam_member" "this" {
  for_each = toset(var.project_roles)
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.this.email}"
}

resource "google_cloud_run_v2_service_iam_member" "invokers" {
  for_each = var.invokers
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.this.service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value
}
