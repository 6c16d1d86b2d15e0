"""What every endpoint of the REST API shares: the error shape, pagination, throttles and
the schema's conventions. The endpoints themselves live in each app's ``api`` package."""
