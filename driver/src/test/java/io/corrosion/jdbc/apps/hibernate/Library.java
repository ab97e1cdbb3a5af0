package io.corrosion.jdbc.apps.hibernate;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.util.ArrayList;
import java.util.List;

/** The entities of the Hibernate tests: authors (IDENTITY ids) with books (the default, table-backed ids). */
final class Library {
    private Library() {}

    @Entity(name = "Author")
    @Table(name = "author")
    public static class Author {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;

        String name;

        String email;

        @Version
        long version;

        @OneToMany(mappedBy = "author", cascade = CascadeType.ALL)
        List<Book> books = new ArrayList<>();

        public Author() {}

        Author(String name) {
            this.name = name;
        }

        Book write(String title, int pages) {
            Book b = new Book(title, pages, this);
            books.add(b);
            return b;
        }
    }

    @Entity(name = "Book")
    @Table(name = "book")
    public static class Book {
        @Id
        @GeneratedValue
        Long id;

        String title;

        int pages;

        @ManyToOne(fetch = FetchType.LAZY)
        Author author;

        @Version
        long version;

        public Book() {}

        Book(String title, int pages, Author author) {
            this.title = title;
            this.pages = pages;
            this.author = author;
        }
    }

    /** A later version of {@link Author}, as the next release of the app maps it: one more column. */
    @Entity(name = "Author")
    @Table(name = "author")
    public static class AuthorWithBio {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;

        String name;

        String email;

        String bio;

        @Version
        long version;

        public AuthorWithBio() {}
    }
}
