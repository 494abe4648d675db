"""The Procurement page: spend, suppliers, category mapping and the SME share."""
