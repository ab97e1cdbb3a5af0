package io.corrosion.examples;

/** README command 1. Placeholder until the driver lands: issue 3 makes it open jdbc:corrosion:. */
public final class Demo {
    private Demo() {}

    public static void main(String[] args) {
        System.out.println("corrosion-jdbc demo: the driver is not built yet");
    }
}
