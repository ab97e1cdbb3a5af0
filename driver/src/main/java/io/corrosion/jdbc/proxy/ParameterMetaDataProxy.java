package io.corrosion.jdbc.proxy;

import io.corrosion.jdbc.SqlErrors;
import java.sql.ParameterMetaData;
import java.sql.SQLException;

/** ParameterMetaData whose errors carry an SQLState, without the parameters the driver appended and binds. */
final class ParameterMetaDataProxy implements ParameterMetaData {
    private final ParameterMetaData md;
    private final int hidden;

    private ParameterMetaDataProxy(ParameterMetaData md, int hidden) {
        this.md = md;
        this.hidden = hidden;
    }

    /** @param hidden parameters the driver appended (and binds itself), left out of the count */
    static ParameterMetaData wrap(ParameterMetaData md, int hidden) {
        return md == null ? null : new ParameterMetaDataProxy(md, hidden);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : md.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || md.isWrapperFor(iface);
    }

    @Override public String getParameterClassName(int param) throws SQLException { try { return md.getParameterClassName(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getParameterCount() throws SQLException { try { return md.getParameterCount() - hidden; } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getParameterMode(int param) throws SQLException { try { return md.getParameterMode(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getParameterType(int param) throws SQLException { try { return md.getParameterType(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public String getParameterTypeName(int param) throws SQLException { try { return md.getParameterTypeName(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getPrecision(int param) throws SQLException { try { return md.getPrecision(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int getScale(int param) throws SQLException { try { return md.getScale(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public int isNullable(int param) throws SQLException { try { return md.isNullable(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
    @Override public boolean isSigned(int param) throws SQLException { try { return md.isSigned(param); } catch (SQLException e) { throw SqlErrors.translate(e); } }
}
