-- Webhook deliveries (issue 22): one row per task event to deliver, claimed by moving next_attempt_at forward, and
-- the log of its attempts. Deleted with the task.
create table webhook_delivery (
    event_id        varchar(80)   primary key,
    task_id         varchar(36)   not null references task (id) on delete cascade,
    tenant          varchar(100)  not null,
    event           varchar(40)   not null,
    url             varchar(2048) not null,
    state           varchar(20)   not null,
    attempts        int           default 0 not null,
    created_at      timestamp(3) with time zone not null,
    next_attempt_at timestamp(3) with time zone not null
);
create index webhook_delivery_due on webhook_delivery (state, next_attempt_at);
create index webhook_delivery_task on webhook_delivery (task_id);

create table webhook_attempt (
    event_id    varchar(80)   not null references webhook_delivery (event_id) on delete cascade,
    n           int           not null,
    at          timestamp(3) with time zone not null,
    http_status int,
    error       varchar(1000),
    duration_ms bigint        not null,
    primary key (event_id, n)
);
