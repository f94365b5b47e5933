"""What every output shares: templating, filters, escaping and charts."""
