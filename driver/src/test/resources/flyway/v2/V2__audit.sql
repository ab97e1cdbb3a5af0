create table audit (id integer primary key, order_id integer, action text);
create trigger orders_audit after insert on orders when crsql_internal_sync_bit() = 0 begin
  insert into audit (order_id, action) values (new.id, 'insert');
end;
