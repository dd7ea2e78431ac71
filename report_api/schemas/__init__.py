"""Request and response models (the OpenAPI contract), one module per resource."""
