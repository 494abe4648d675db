"""The two-way exchange: the LGA's programme pack out to councils, its receipts back."""
