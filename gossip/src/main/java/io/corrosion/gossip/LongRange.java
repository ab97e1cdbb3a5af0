package io.corrosion.gossip;

/** An inclusive range of non-negative longs: versions or seqs. */
public record LongRange(long start, long end) implements Comparable<LongRange> {

    public LongRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range " + start + ".." + end);
        }
    }

    public static LongRange single(long value) {
        return new LongRange(value, value);
    }

    public boolean contains(long value) {
        return value >= start && value <= end;
    }

    /** Number of values, saturating at Long.MAX_VALUE. */
    public long length() {
        long n = end - start + 1;
        return n <= 0 ? Long.MAX_VALUE : n;
    }

    @Override
    public int compareTo(LongRange o) {
        int c = Long.compare(start, o.start);
        return c != 0 ? c : Long.compare(end, o.end);
    }

    @Override
    public String toString() {
        return start == end ? Long.toString(start) : start + ".." + end;
    }
}
