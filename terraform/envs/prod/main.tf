# The prod environment: one project, the whole system. Run npm run build first (the bundles in
# dist/functions are the functions' sources), then terraform init and apply here.

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0.0, < 7.0.0"
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.0.0, < 7.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0, < 3.0.0"
    }
  }
  # State in a bucket made once by hand: terraform init -backend-config="bucket=<project>-tfstate".
  backend "gcs" {
    prefix = "dex-anomaly/prod"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

module "system" {
  source                 = "../../modules/system"
  project_id             = var.project_id
  region                 = var.region
  location               = var.location
  dist_dir               = "${path.root}/../../../dist/functions"
  dex_sources            = var.dex_sources
  slack_channel          = var.slack_channel
  serve_invokers         = var.serve_invokers
  dataform_git_url       = var.dataform_git_url
  notification_channels  = var.notification_channels
  stale_after_hours      = var.stale_after_hours
  alert_rate_band        = var.alert_rate_band
  create_mart_views      = var.create_mart_views
  deletion_protection    = true
  force_destroy          = false
  dataform_git_commitish = var.dataform_git_commitish
  looker_readers         = var.looker_readers
}

output "system" {
  description = "URIs, accounts and views of the deployment."
  value = {
    raw_store_url    = module.system.raw_store_url
    function_uris    = module.system.function_uris
    service_accounts = module.system.service_accounts
    looker_views     = module.system.looker_views
  }
}
