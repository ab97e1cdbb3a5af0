package io.corrosion.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A notes service: Spring Boot, Spring Data JPA and HikariCP on a {@code jdbc:corrosion:} file. Run two instances with
 * different files, ports and gossip addresses (one seeding the other) and they share their notes.
 */
@SpringBootApplication
public class NotesApplication {
    public static void main(String[] args) {
        SpringApplication.run(NotesApplication.class, args);
    }
}
