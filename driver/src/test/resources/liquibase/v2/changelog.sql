--liquibase formatted sql logicalFilePath:changelog.sql

--changeset corrosion:1
create table orders (id integer primary key, item text not null);

--changeset corrosion:2
create table audit (id integer primary key, order_id integer, action text);
