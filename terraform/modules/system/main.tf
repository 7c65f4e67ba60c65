# The whole system: buckets, datasets and tables, secrets, the five functions with their own
# accounts and triggers, the Dataform workflow and the monitoring. terraform/README.md has the
# table of who may do what and why.

locals {
  warehouse = "bigquery://${var.project_id}?location=${var.location}"
  # train, score and serve keep models (and their own state) in the versioned models bucket;
  # fetch and load work on the raw store.
  models_store = "gs://${module.storage.models_bucket}"
  raw_uri      = "${module.storage.raw_store_url}/raw"
  schemas_dir  = "${path.module}/../../schemas"
  views_dir    = "${path.module}/../../views"
  bigquery_job = ["roles/bigquery.jobUser"]
}

# Every API the system uses, enabled by the same apply; modules wait for them (on later applies
# nothing changes here, so nothing is deferred).
resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "dataform.googleapis.com",
    "eventarc.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "storage" {
  source        = "../storage"
  project_id    = var.project_id
  location      = var.location
  store_prefix  = var.store_prefix
  force_destroy = var.force_destroy

  depends_on = [google_project_service.apis]
}

module "bigquery" {
  source              = "../bigquery"
  project_id          = var.project_id
  location            = var.location
  schemas_dir         = local.schemas_dir
  views_dir           = local.views_dir
  raw_uri_prefix      = local.raw_uri
  create_mart_views   = var.create_mart_views
  deletion_protection = var.deletion_protection

  depends_on = [google_project_service.apis]
}

module "secrets" {
  source     = "../secrets"
  project_id = var.project_id
  names      = ["thegraph-api-key", "slack-bot-token", "serve-api-key", "dataform-git-token"]

  depends_on = [google_project_service.apis]
}

# Builds every function; it reads the sources bucket and writes the build's image and logs.
resource "google_service_account" "builder" {
  project      = var.project_id
  account_id   = "fn-builder"
  display_name = "Cloud Build account of the function builds"
}

resource "google_storage_bucket_iam_member" "builder_reads_sources" {
  bucket = module.storage.sources_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.builder.email}"
}

# Both exist only at project level: the build's log lines and the gcf-artifacts repository that
# Cloud Functions creates on the first deployment.
resource "google_project_iam_member" "builder" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer"])
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.builder.email}"
}

module "fn_fetch" {
  source                = "../function"
  project_id            = var.project_id
  region                = var.region
  name                  = "fetch"
  description           = "Pulls every missing complete hour of each subgraph into the raw store (hourly)."
  source_dir            = "${var.dist_dir}/fetch"
  source_bucket         = module.storage.sources_bucket
  build_service_account = google_service_account.builder.id
  timeout_seconds       = 900
  environment = {
    DATA_STORE_URL       = module.storage.raw_store_url
    SECRETS_BACKEND      = "secret-manager"
    GOOGLE_CLOUD_PROJECT = var.project_id
  }
  optional_environment = {
    DEX_SOURCES = var.dex_sources
  }
  secrets = {
    "thegraph-api-key" = module.secrets.ids["thegraph-api-key"]
  }
  # Overwriting the watermark (compare-and-swap) needs delete as well as create: objectUser.
  bucket_roles = {
    raw = { bucket = module.storage.raw_bucket, role = "roles/storage.objectUser" }
  }

  depends_on = [google_project_service.apis]
}

module "fn_load" {
  source                = "../function"
  project_id            = var.project_id
  region                = var.region
  name                  = "load"
  description           = "Checks each hour's manifest against its objects and records it in dex_ops.ingestion_log (on manifest finalize)."
  source_dir            = "${var.dist_dir}/load"
  source_bucket         = module.storage.sources_bucket
  build_service_account = google_service_account.builder.id
  ingress               = "ALLOW_INTERNAL_ONLY"
  timeout_seconds       = 540
  environment = {
    DATA_STORE_URL       = module.storage.raw_store_url
    WAREHOUSE            = local.warehouse
    GOOGLE_CLOUD_PROJECT = var.project_id
  }
  event_trigger = {
    pubsub_topic          = module.manifest_events.topic
    service_account_email = module.manifest_events.trigger_service_account_email
  }
  # A corrupt hour: load copies the bad object to corrupt/, deletes it and writes (or rewrites) the
  # hour's repair marker, so it needs create and delete besides reads: objectUser.
  bucket_roles = {
    raw = { bucket = module.storage.raw_bucket, role = "roles/storage.objectUser" }
  }
  # Metadata only: ensureTable looks the datasets and tables up; the rows go to its two tables.
  dataset_roles = {
    dex_ops = { dataset = module.bigquery.datasets["dex_ops"], role = "roles/bigquery.metadataViewer" }
    dex_raw = { dataset = module.bigquery.datasets["dex_raw"], role = "roles/bigquery.metadataViewer" }
  }
  table_roles = {
    ingestion_log = { table = module.bigquery.table_ids["dex_ops.ingestion_log"], role = "roles/bigquery.dataEditor" }
    dead_letters  = { table = module.bigquery.table_ids["dex_ops.dead_letters"], role = "roles/bigquery.dataEditor" }
  }
  project_roles = local.bigquery_job
  invokers      = { eventarc = "serviceAccount:${module.manifest_events.trigger_service_account_email}" }

  depends_on = [google_project_service.apis]
}

module "manifest_events" {
  source             = "../manifest_events"
  project_id         = var.project_id
  bucket             = module.storage.raw_bucket
  object_name_prefix = module.storage.manifest_prefix

  depends_on = [google_project_service.apis]
}

module "fn_train" {
  source                = "../function"
  project_id            = var.project_id
  region                = var.region
  name                  = "train"
  description           = "Trains the Isolation Forest on the feature mart and stores the model (weekly)."
  source_dir            = "${var.dist_dir}/train"
  source_bucket         = module.storage.sources_bucket
  build_service_account = google_service_account.builder.id
  memory                = "4Gi"
  cpu                   = "2"
  timeout_seconds       = 3600
  max_instances         = 1
  environment = {
    DATA_STORE_URL       = local.models_store
    WAREHOUSE            = local.warehouse
    GOOGLE_CLOUD_PROJECT = var.project_id
  }
  bucket_roles = {
    models = { bucket = module.storage.models_bucket, role = "roles/storage.objectUser" }
  }
  # The mart is Dataform's (not a terraform table): read on the dataset. model_runs is its own.
  dataset_roles = {
    dex_anomaly = { dataset = module.bigquery.datasets["dex_anomaly"], role = "roles/bigquery.dataViewer" }
    dex_ops     = { dataset = module.bigquery.datasets["dex_ops"], role = "roles/bigquery.metadataViewer" }
  }
  table_roles = {
    model_runs = { table = module.bigquery.table_ids["dex_ops.model_runs"], role = "roles/bigquery.dataEditor" }
  }
  project_roles = local.bigquery_job

  depends_on = [google_project_service.apis]
}

module "fn_score" {
  source                = "../function"
  project_id            = var.project_id
  region                = var.region
  name                  = "score"
  description           = "Scores the newest mart hour, writes pool_scores and alerts, and posts alerts to Slack (hourly)."
  source_dir            = "${var.dist_dir}/score"
  source_bucket         = module.storage.sources_bucket
  build_service_account = google_service_account.builder.id
  memory                = "1Gi"
  timeout_seconds       = 900
  max_instances         = 1
  environment = {
    DATA_STORE_URL       = local.models_store
    WAREHOUSE            = local.warehouse
    GOOGLE_CLOUD_PROJECT = var.project_id
    SECRETS_BACKEND      = "secret-manager"
    SLACK_CHANNEL        = var.slack_channel
  }
  secrets = {
    "slack-bot-token" = module.secrets.ids["slack-bot-token"]
  }
  # Reads the production model and the mute list; writes nothing to the bucket.
  bucket_roles = {
    models = { bucket = module.storage.models_bucket, role = "roles/storage.objectViewer" }
  }
  # Reads the mart and staging (Dataform's tables) on the dataset; writes only its two tables, so
  # it cannot rewrite or drop what Dataform builds.
  dataset_roles = {
    dex_anomaly = { dataset = module.bigquery.datasets["dex_anomaly"], role = "roles/bigquery.dataViewer" }
  }
  table_roles = {
    pool_scores = { table = module.bigquery.table_ids["dex_anomaly.pool_scores"], role = "roles/bigquery.dataEditor" }
    alerts      = { table = module.bigquery.table_ids["dex_anomaly.alerts"], role = "roles/bigquery.dataEditor" }
  }
  project_roles = local.bigquery_job

  depends_on = [google_project_service.apis]
}

module "fn_serve" {
  source                = "../function"
  project_id            = var.project_id
  region                = var.region
  name                  = "serve"
  description           = "POST /score: scores the feature rows it is given with the current model (private)."
  source_dir            = "${var.dist_dir}/serve"
  source_bucket         = module.storage.sources_bucket
  build_service_account = google_service_account.builder.id
  memory                = "1Gi"
  timeout_seconds       = 60
  max_instances         = 5
  # A 1-row answer is about a quarter of a millisecond of CPU with no I/O: one instance serves
  # many callers at once instead of a new instance (and cold start) for each concurrent one.
  concurrency = 40
  environment = {
    DATA_STORE_URL       = local.models_store
    WAREHOUSE            = local.warehouse
    GOOGLE_CLOUD_PROJECT = var.project_id
    # The key arrives as SECRET_SERVE_API_KEY at instance start: no Secret Manager client to load
    # (about 450 ms of CPU) and no call before the first answer.
    SECRETS_BACKEND      = "secret-manager-env"
    SERVE_API_KEY_SECRET = "serve-api-key"
    # The framework's own 404 for /favicon.ico and /robots.txt is an empty body; with no ignored
    # routes they reach serve, which answers the JSON 404. Express's error pages without stacks.
    IGNORED_ROUTES = ""
    NODE_ENV       = "production"
  }
  secret_environment = {
    SECRET_SERVE_API_KEY = "serve-api-key"
  }
  secrets = {
    "serve-api-key" = module.secrets.ids["serve-api-key"]
  }
  bucket_roles = {
    models = { bucket = module.storage.models_bucket, role = "roles/storage.objectViewer" }
  }
  # GET /score reads stored scores and alerts: those two tables, not the mart beside them.
  table_roles = {
    pool_scores = { table = module.bigquery.table_ids["dex_anomaly.pool_scores"], role = "roles/bigquery.dataViewer" }
    alerts      = { table = module.bigquery.table_ids["dex_anomaly.alerts"], role = "roles/bigquery.dataViewer" }
  }
  project_roles = local.bigquery_job
  invokers      = { for m in var.serve_invokers : m => m }

  depends_on = [google_project_service.apis]
}

# Hourly: fetch at :02 (the hour has closed), load follows each manifest, Dataform builds the
# mart at :20, score at :35. Train weekly, Monday 03:00 UTC.
module "schedule_fetch" {
  source           = "../scheduler_job"
  project_id       = var.project_id
  region           = var.region
  name             = "fetch-hourly"
  description      = "Fetch the hour that just closed."
  schedule         = "2 * * * *"
  target_uri       = module.fn_fetch.uri
  target_service   = module.fn_fetch.service_name
  attempt_deadline = "900s"
  retry_count      = 3

  depends_on = [google_project_service.apis]
}

module "schedule_score" {
  source           = "../scheduler_job"
  project_id       = var.project_id
  region           = var.region
  name             = "score-hourly"
  description      = "Score the newest mart hour, after fetch (:02) and the Dataform run (:20)."
  schedule         = "35 * * * *"
  target_uri       = module.fn_score.uri
  target_service   = module.fn_score.service_name
  attempt_deadline = "900s"
  retry_count      = 3

  depends_on = [google_project_service.apis]
}

module "schedule_train" {
  source           = "../scheduler_job"
  project_id       = var.project_id
  region           = var.region
  name             = "train-weekly"
  description      = "Retrain the model on the mart."
  schedule         = "0 3 * * 1"
  target_uri       = module.fn_train.uri
  target_service   = module.fn_train.service_name
  attempt_deadline = "1800s"
  retry_count      = 2
  min_backoff      = "300s"
  max_backoff      = "1800s"

  depends_on = [google_project_service.apis]
}

# Dataform runs as its own account: it reads raw/ through the external table and writes the mart.
resource "google_service_account" "dataform" {
  project      = var.project_id
  account_id   = "dataform-runner"
  display_name = "Dataform workflows (staging, feature mart, assertions)"
}

resource "google_storage_bucket_iam_member" "dataform_reads_raw" {
  bucket = module.storage.raw_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.dataform.email}"
}

resource "google_bigquery_dataset_iam_member" "dataform" {
  for_each = {
    dex_raw                = "roles/bigquery.dataViewer"
    dex_anomaly            = "roles/bigquery.dataEditor"
    dex_anomaly_assertions = "roles/bigquery.dataEditor"
  }
  project    = var.project_id
  dataset_id = module.bigquery.datasets[each.key]
  role       = each.value
  member     = "serviceAccount:${google_service_account.dataform.email}"
}

# Staging keeps only hours whose manifest load verified: it joins dex_ops.ingestion_log.
resource "google_bigquery_table_iam_member" "dataform_reads_ingestion_log" {
  project    = var.project_id
  dataset_id = split("/", module.bigquery.table_ids["dex_ops.ingestion_log"])[3]
  table_id   = split("/", module.bigquery.table_ids["dex_ops.ingestion_log"])[5]
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.dataform.email}"
}

resource "google_project_iam_member" "dataform_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.dataform.email}"
}

module "dataform" {
  source                       = "../dataform"
  project_id                   = var.project_id
  region                       = var.region
  location                     = var.location
  git_url                      = var.dataform_git_url
  git_commitish                = var.dataform_git_commitish
  git_token_secret_id          = module.secrets.ids["dataform-git-token"]
  git_token_secret_version     = "${module.secrets.ids["dataform-git-token"]}/versions/latest"
  runner_service_account_email = google_service_account.dataform.email
  runner_service_account_id    = google_service_account.dataform.id
  mart_schedule                = "20 * * * *"

  depends_on = [google_project_service.apis]
}

module "monitoring" {
  source                = "../monitoring"
  project_id            = var.project_id
  notification_channels = var.notification_channels
  failures_per_hour     = var.failures_per_hour
  stale_after_hours     = var.stale_after_hours
  alert_rate_band       = var.alert_rate_band

  depends_on = [google_project_service.apis]
}

# Looker Studio report owners: read-only on the views and the datasets they select from (a
# report shared with viewers runs on its owner's credentials, so viewers need no grant at all).
resource "google_bigquery_dataset_iam_member" "looker_readers" {
  for_each = {
    for pair in setproduct(var.looker_readers, ["dex_looker", "dex_anomaly", "dex_ops"]) : "${pair[0]} ${pair[1]}" => { member = pair[0], dataset = pair[1] }
  }
  project    = var.project_id
  dataset_id = module.bigquery.datasets[each.value.dataset]
  role       = "roles/bigquery.dataViewer"
  member     = each.value.member
}

resource "google_project_iam_member" "looker_readers_jobs" {
  for_each = toset(var.looker_readers)
  project  = var.project_id
  role     = "roles/bigquery.jobUser"
  member   = each.value
}
