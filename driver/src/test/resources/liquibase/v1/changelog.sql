--liquibase formatted sql logicalFilePath:changelog.sql

--changeset corrosion:1
create table orders (id integer primary key, item text not null);
