//! The diesel schema of both backends, kept in step with `migrations/sqlite` and
//! `migrations/postgres`.
#![allow(missing_docs)]

diesel::table! {
    users (id) {
        id -> BigInt,
        display_name -> Text,
        email -> Text,
        email_key -> Text,
        role -> Text,
        active -> Bool,
        password_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    import_batches (id) {
        id -> BigInt,
        kind -> Text,
        started_by -> BigInt,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        status -> Text,
        choices -> Text,
        created_count -> BigInt,
        updated_count -> BigInt,
        unchanged_count -> BigInt,
        skipped_count -> BigInt,
        rejected_count -> BigInt,
        reverts -> Nullable<BigInt>,
        undone_by -> Nullable<BigInt>,
        counts_by_kind -> Nullable<Text>,
    }
}

diesel::table! {
    import_batch_files (id) {
        id -> BigInt,
        batch_id -> BigInt,
        position -> Integer,
        name -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        sheet -> Nullable<Text>,
        header_row -> Nullable<Integer>,
        mapping -> Text,
        choices -> Nullable<Text>,
    }
}

diesel::table! {
    company_types (id) {
        id -> BigInt,
        name_fi -> Text,
        name_sv -> Nullable<Text>,
        name_en -> Nullable<Text>,
        name_fi_key -> Text,
        name_sv_key -> Nullable<Text>,
        name_en_key -> Nullable<Text>,
        position -> Integer,
        archived -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    customer_groups (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        created_by_batch -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    branches (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        created_by_batch -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        name_extension -> Nullable<Text>,
        business_id -> Nullable<Text>,
        vat_number -> Nullable<Text>,
        street_address -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        city -> Nullable<Text>,
        country -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        website -> Nullable<Text>,
        e_invoice_address -> Nullable<Text>,
        e_invoice_operator -> Nullable<Text>,
        company_type_id -> BigInt,
        customer_group_id -> Nullable<BigInt>,
        account_manager_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by_batch -> Nullable<BigInt>,
        updated_by_batch -> Nullable<BigInt>,
        customer_number -> Nullable<Text>,
        notes -> Nullable<Text>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        company_id -> BigInt,
        first_name -> Nullable<Text>,
        last_name -> Text,
        title -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by_batch -> Nullable<BigInt>,
        updated_by_batch -> Nullable<BigInt>,
        email_key -> Nullable<Text>,
        name_key -> Text,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        company_id -> BigInt,
        name -> Text,
        project_number -> Nullable<Text>,
        project_manager_id -> Nullable<BigInt>,
        status -> Text,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        value_cents -> Nullable<BigInt>,
        currency -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by_batch -> Nullable<BigInt>,
        updated_by_batch -> Nullable<BigInt>,
        description -> Nullable<Text>,
        contact_id -> Nullable<BigInt>,
        branch_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    import_batch_changes (id) {
        id -> BigInt,
        batch_id -> BigInt,
        entity -> Text,
        entity_id -> BigInt,
        action -> Text,
        before_image -> Nullable<Text>,
        after_image -> Nullable<Text>,
    }
}

diesel::table! {
    mapping_profiles (id) {
        id -> BigInt,
        name -> Text,
        name_key -> Text,
        mapping -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    web_sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_links (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email_key -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    import_wizards (id) {
        id -> BigInt,
        user_id -> BigInt,
        status -> Text,
        state -> Text,
        batch_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    import_wizard_files (id) {
        id -> BigInt,
        wizard_id -> BigInt,
        position -> Integer,
        name -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        content -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    import_jobs (id) {
        id -> BigInt,
        wizard_id -> BigInt,
        kind -> Text,
        status -> Text,
        rows_done -> BigInt,
        result -> Nullable<Text>,
        error -> Nullable<Text>,
        batch_id -> Nullable<BigInt>,
        started_at -> Timestamp,
        heartbeat_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_job_outputs (id) {
        id -> BigInt,
        job_id -> BigInt,
        name -> Text,
        content -> Binary,
    }
}

diesel::joinable!(companies -> company_types (company_type_id));
diesel::joinable!(companies -> customer_groups (customer_group_id));
diesel::joinable!(companies -> users (account_manager_id));
diesel::joinable!(contacts -> companies (company_id));
diesel::joinable!(projects -> companies (company_id));
diesel::joinable!(projects -> contacts (contact_id));
diesel::joinable!(projects -> branches (branch_id));
diesel::joinable!(import_batch_files -> import_batches (batch_id));
diesel::joinable!(import_batch_changes -> import_batches (batch_id));
diesel::joinable!(web_sessions -> users (user_id));
diesel::joinable!(login_links -> users (user_id));
diesel::joinable!(import_wizards -> users (user_id));
diesel::joinable!(import_wizard_files -> import_wizards (wizard_id));
diesel::joinable!(import_jobs -> import_wizards (wizard_id));
diesel::joinable!(import_job_outputs -> import_jobs (job_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    import_batches,
    import_batch_files,
    company_types,
    customer_groups,
    branches,
    companies,
    contacts,
    projects,
    import_batch_changes,
    mapping_profiles,
    settings,
    web_sessions,
    login_links,
    login_failures,
    import_wizards,
    import_wizard_files,
    import_jobs,
    import_job_outputs,
);
