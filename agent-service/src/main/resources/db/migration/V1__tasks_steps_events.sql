-- Embedded store of the agent service (H2). Secret values are never stored: only their names, inside spec_json.
create table task (
    id            varchar(36)   primary key,
    tenant        varchar(100)  not null,
    status        varchar(20)   not null,
    spec_json     clob          not null,
    created_at    timestamp(3) with time zone not null,
    started_at    timestamp(3) with time zone,
    finished_at   timestamp(3) with time zone,
    steps         int           default 0 not null,
    message       varchar(4000),
    requeues      int           default 0 not null
);
create index task_tenant_created on task (tenant, created_at);
create index task_status on task (status);

create table step (
    task_id          varchar(36)  not null references task (id) on delete cascade,
    n                int          not null,
    started_at       timestamp(3) with time zone not null,
    raw_output       clob         not null,
    action_json      clob,
    coordinates_json clob,
    timings_json     clob         not null,
    outcome          varchar(4000) not null,
    screenshot_bytes bigint       default 0 not null,
    primary key (task_id, n)
);

create table task_event (
    id         bigint auto_increment primary key,
    task_id    varchar(36)  not null references task (id) on delete cascade,
    type       varchar(40)  not null,
    data_json  clob         not null,
    created_at timestamp(3) with time zone not null
);
create index task_event_task on task_event (task_id, id);
