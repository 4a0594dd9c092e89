-- Model tokens per step (issue 8): prompt tokens read and completion tokens generated, summed over re-asks.
alter table step add column prompt_tokens int default 0 not null;
alter table step add column completion_tokens int default 0 not null;
