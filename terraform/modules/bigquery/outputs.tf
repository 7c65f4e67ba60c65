output "datasets" {
  description = "Dataset ids by name."
  value       = { for k, v in google_bigquery_dataset.this : k => v.dataset_id }
}

output "tables" {
  description = "Every table terraform manages, dataset.table."
  value       = concat(keys(google_bigquery_table.native), keys(google_bigquery_table.external))
}

output "views" {
  description = "The Looker Studio views created so far."
  value       = keys(google_bigquery_table.views)
}
