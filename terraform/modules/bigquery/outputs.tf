output "datasets" {
  description = "Dataset ids by name."
  value       = { for k, v in google_bigquery_dataset.this : k => v.dataset_id }
}

output "tables" {
  description = "Every table terraform manages, dataset.table."
  value       = concat(keys(google_bigquery_table.native), keys(google_bigquery_table.external))
}

output "table_ids" {
  description = "Id (projects/<p>/datasets/<d>/tables/<t>) of every table terraform manages, by dataset.table: grants on one table name it here."
  value       = merge({ for k, v in google_bigquery_table.native : k => v.id }, { for k, v in google_bigquery_table.external : k => v.id })
}

output "views" {
  description = "The Looker Studio views created so far."
  value       = keys(google_bigquery_table.views)
}
