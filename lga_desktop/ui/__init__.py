"""Everything Qt. Imports the core; the core never imports this package."""
