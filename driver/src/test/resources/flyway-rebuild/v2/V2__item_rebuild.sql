-- SQLite cannot add a CHECK or change a column's NOT NULL with ALTER TABLE: the rebuild of lang_altertable.html, section 7
create table item_new (id integer primary key, name text not null, qty integer not null default 0 check (qty >= 0));
insert into item_new (id, name, qty) select id, name, coalesce(qty, 0) from item;
drop table item;
alter table item_new rename to item;
create index item_name on item (name);
