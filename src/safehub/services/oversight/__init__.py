"""Independent oversight's use cases. Modules: ``portal`` (the oversight body's aggregate pages
and the register of its queries), ``sample`` (audit samples of pseudonymised, redacted case files
and the inspector's findings). Import from the module itself."""
