create table item (id integer primary key, name text not null, qty integer);
create index item_name on item (name);
