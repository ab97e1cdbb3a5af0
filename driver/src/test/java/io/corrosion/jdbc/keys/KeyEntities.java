package io.corrosion.jdbc.keys;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.TableGenerator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

/** Hibernate entities with every id generation strategy the community SQLiteDialect supports. */
final class KeyEntities {
    private KeyEntities() {}

    /** Common shape: an id of some kind and a name. */
    @MappedSuperclass
    public abstract static class Named {
        String name;

        Named() {}

        Named(String name) {
            this.name = name;
        }

        abstract Object id();

        String name() {
            return name;
        }
    }

    /** The default {@code @GeneratedValue}: AUTO, a {@code Customer_SEQ} table on SQLite. */
    @Entity(name = "Customer")
    public static class Customer extends Named {
        @Id
        @GeneratedValue
        Long id;

        public Customer() {}

        Customer(String name) {
            super(name);
        }

        @Override
        Object id() {
            return id;
        }
    }

    @Entity(name = "Team")
    public static class Team extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Integer id;

        public Team() {}

        Team(String name) {
            super(name);
        }

        @Override
        Object id() {
            return id;
        }
    }

    @Entity(name = "Member")
    public static class Member extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;

        public Member() {}

        Member(String name) {
            super(name);
        }

        @Override
        Object id() {
            return id;
        }
    }

    /** {@code @SequenceGenerator}: SQLite has no sequences, Hibernate emulates one with the table {@code order_ids}. */
    @Entity(name = "Orders")
    public static class Order extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "orders")
        @SequenceGenerator(name = "orders", sequenceName = "order_ids", allocationSize = 10)
        Long id;

        public Order() {}

        Order(String name) {
            super(name);
        }

        @Override
        Object id() {
            return id;
        }
    }

    /** {@code @TableGenerator}: a segment row in {@code id_blocks}. */
    @Entity(name = "Invoice")
    public static class Invoice extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE, generator = "invoices")
        @TableGenerator(name = "invoices", table = "id_blocks", allocationSize = 5)
        Long id;

        public Invoice() {}

        Invoice(String name) {
            super(name);
        }

        @Override
        Object id() {
            return id;
        }
    }

    /** GenerationType.TABLE without a generator: the {@code hibernate_sequences} table. */
    @Entity(name = "Shipment")
    public static class Shipment extends Named {
        @Id
        @GeneratedValue(strategy = GenerationType.TABLE)
        Long id;

        public Shipment() {}

        Shipment(String name) {
            super(name);
        }

        @Override
        Object id() {
            return id;
        }
    }

    /** Every entity class with the constructor of a new instance named so. */
    static final List<Function<String, Named>> NEW = List.of(
            Customer::new, Team::new, Member::new, Order::new, Invoice::new, Shipment::new);

    static final List<Class<?>> CLASSES = List.of(
            Customer.class, Team.class, Member.class, Order.class, Invoice.class, Shipment.class);

    /** Hibernate's allocation size per entity, 1 for IDENTITY (the driver allocates one key per row). */
    static final Map<Class<?>, Integer> INCREMENT = Map.of(Customer.class, 50, Team.class, 1, Member.class, 1,
            Order.class, 10, Invoice.class, 5, Shipment.class, 50);

    /**
     * True if {@code id} is one the node in {@code slot} may hand out for an entity of this class: IDENTITY keys are
     * slot-interleaved, generator ids lie in blocks of twice the allocation size owned by the slot.
     */
    static boolean isNodePrivate(Class<?> entity, long id, int slot) {
        int increment = INCREMENT.get(entity);
        if (entity == Team.class || entity == Member.class) {
            return IdScheme.slotOf(id) == slot;
        }
        return ((id - 1) / (2L * increment)) % IdScheme.SLOTS == slot;
    }

    static SessionFactory sessionFactory(String url, String hbm2ddl, int poolSize) {
        return sessionFactory(url, hbm2ddl, poolSize, CLASSES);
    }

    static SessionFactory sessionFactory(String url, String hbm2ddl, int poolSize, List<Class<?>> classes) {
        Configuration cfg = new Configuration()
                .setProperty("hibernate.connection.url", url)
                .setProperty("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                .setProperty("hibernate.hbm2ddl.auto", hbm2ddl)
                .setProperty("hibernate.connection.pool_size", String.valueOf(poolSize));
        classes.forEach(cfg::addAnnotatedClass);
        return cfg.buildSessionFactory();
    }
}
