create table orders (id integer primary key, item text not null);
