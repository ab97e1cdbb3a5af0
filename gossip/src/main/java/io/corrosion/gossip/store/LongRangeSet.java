package io.corrosion.gossip.store;

import io.corrosion.gossip.LongRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A set of non-negative longs kept as disjoint, non-adjacent inclusive ranges (rangemap's RangeInclusiveSet). */
public final class LongRangeSet {

    /** start -> end, inclusive; ranges never overlap or touch. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    public static LongRangeSet of(long start, long end) {
        LongRangeSet set = new LongRangeSet();
        set.add(start, end);
        return set;
    }

    public LongRangeSet copy() {
        LongRangeSet copy = new LongRangeSet();
        copy.ranges.putAll(ranges);
        return copy;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public void add(LongRange r) {
        add(r.start(), r.end());
    }

    public void add(long start, long end) {
        check(start, end);
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start - 1) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        // Absorb every range that starts inside or right after [start, end].
        long reach = end == Long.MAX_VALUE ? end : end + 1;
        Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
        while (next != null && next.getKey() <= reach) {
            end = Math.max(end, next.getValue());
            reach = end == Long.MAX_VALUE ? end : end + 1;
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(start);
        }
        ranges.put(start, end);
    }

    public void remove(LongRange r) {
        remove(r.start(), r.end());
    }

    public void remove(long start, long end) {
        check(start, end);
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        if (e == null || e.getValue() < start) {
            e = ranges.higherEntry(start);
        }
        while (e != null && e.getKey() <= end) {
            long s = e.getKey();
            long t = e.getValue();
            ranges.remove(s);
            if (s < start) {
                ranges.put(s, start - 1);
            }
            if (t > end) {
                ranges.put(end + 1, t);
                break;
            }
            e = ranges.higherEntry(s);
        }
    }

    public boolean contains(long value) {
        Map.Entry<Long, Long> e = ranges.floorEntry(value);
        return e != null && e.getValue() >= value;
    }

    public boolean containsAll(long start, long end) {
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        return e != null && e.getValue() >= end;
    }

    public boolean intersects(long start, long end) {
        return !intersection(start, end).isEmpty();
    }

    /** The parts of [start, end] in the set. */
    public List<LongRange> intersection(long start, long end) {
        List<LongRange> out = new ArrayList<>();
        Map.Entry<Long, Long> e = ranges.floorEntry(start);
        if (e == null || e.getValue() < start) {
            e = ranges.higherEntry(start);
        }
        while (e != null && e.getKey() <= end) {
            out.add(new LongRange(Math.max(start, e.getKey()), Math.min(end, e.getValue())));
            e = ranges.higherEntry(e.getKey());
        }
        return out;
    }

    /** The parts of [start, end] not in the set. */
    public List<LongRange> gaps(long start, long end) {
        List<LongRange> out = new ArrayList<>();
        long cursor = start;
        for (LongRange in : intersection(start, end)) {
            if (in.start() > cursor) {
                out.add(new LongRange(cursor, in.start() - 1));
            }
            if (in.end() == Long.MAX_VALUE) {
                return out;
            }
            cursor = in.end() + 1;
        }
        if (cursor <= end) {
            out.add(new LongRange(cursor, end));
        }
        return out;
    }

    public List<LongRange> ranges() {
        List<LongRange> out = new ArrayList<>(ranges.size());
        ranges.forEach((s, e) -> out.add(new LongRange(s, e)));
        return out;
    }

    /** Highest value in the set, or -1 when empty. */
    public long last() {
        return ranges.isEmpty() ? -1 : ranges.lastEntry().getValue();
    }

    /** Number of disjoint ranges. */
    public int rangeCount() {
        return ranges.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LongRangeSet s && s.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return ranges().toString();
    }

    private static void check(long start, long end) {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range " + start + ".." + end);
        }
    }
}
