# The buckets: raw (the store fetch writes and load reads), models (train writes, score and serve
# read; versioned so a bad model can be rolled back) and function sources (the zipped bundles).
# Uniform access and enforced public-access prevention on all three.

locals {
  prefix = var.store_prefix == "" ? "" : "${trimsuffix(var.store_prefix, "/")}/"
}

resource "google_storage_bucket" "raw" {
  project                     = var.project_id
  name                        = "${var.project_id}-dex-raw"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  # The mart scans raw/ every hour: it stays STANDARD (colder classes charge per read).
  lifecycle_rule {
    condition {
      age            = var.raw_retention_days
      matches_prefix = ["${local.prefix}raw/", "${local.prefix}manifests/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age            = var.quarantine_retention_days
      matches_prefix = ["${local.prefix}quarantine/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }
}

resource "google_storage_bucket" "models" {
  project                     = var.project_id
  name                        = "${var.project_id}-dex-models"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = var.model_versions_kept
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket" "sources" {
  project                     = var.project_id
  name                        = "${var.project_id}-dex-function-sources"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }
}
