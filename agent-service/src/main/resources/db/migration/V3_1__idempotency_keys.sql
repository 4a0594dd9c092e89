-- Idempotency-Key of POST /tasks (issue 22): per tenant, kept 24 h. Only a hash of the request is kept, never the
-- request (it may carry secret values).
create table idempotency_key (
    tenant          varchar(100) not null,
    idem_key        varchar(255) not null,
    request_sha256  varchar(64)  not null,
    task_id         varchar(36)  not null,
    created_at      timestamp(3) with time zone not null,
    primary key (tenant, idem_key)
);
create index idempotency_key_created on idempotency_key (created_at);
