# Manifests only: Eventarc cannot filter Cloud Storage events by object-name prefix, so the bucket
# publishes OBJECT_FINALIZE notifications for names under manifests/ to a topic, and load's
# Eventarc trigger listens to that topic. A bucket of their own would split the one store
# (DATA_STORE_URL) the code writes raw data and manifests to, and whose manifest is written last.

resource "google_pubsub_topic" "manifests" {
  project                    = var.project_id
  name                       = "dex-manifests"
  message_retention_duration = "86400s"
}

data "google_storage_project_service_account" "gcs" {
  project = var.project_id
}

# Cloud Storage publishes as its service agent; it may publish to this topic only.
resource "google_pubsub_topic_iam_member" "gcs_publishes" {
  project = var.project_id
  topic   = google_pubsub_topic.manifests.id
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
}

resource "google_storage_notification" "manifests" {
  bucket             = var.bucket
  payload_format     = "JSON_API_V1"
  topic              = google_pubsub_topic.manifests.id
  event_types        = ["OBJECT_FINALIZE"]
  object_name_prefix = var.object_name_prefix

  depends_on = [google_pubsub_topic_iam_member.gcs_publishes]
}

# The account Eventarc calls load as; system/main.tf grants it roles/run.invoker on load only.
resource "google_service_account" "trigger" {
  project      = var.project_id
  account_id   = "trg-load"
  display_name = "Eventarc trigger of load (manifests)"
}
