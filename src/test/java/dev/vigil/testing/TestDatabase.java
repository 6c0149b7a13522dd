package dev.vigil.testing;

import javax.sql.DataSource;

/**
 * A fresh, empty database on the shared embedded PostgreSQL, made by
 * {@link SharedServices#newDatabase(String)}.
 *
 * @param name the database name
 * @param jdbcUrl its JDBC URL (without credentials)
 * @param user the user to connect as (no password needed)
 * @param dataSource a non-pooling data source for it
 */
public record TestDatabase(String name, String jdbcUrl, String user, DataSource dataSource) {

    /** Always empty: the embedded server trusts local connections. */
    public String password() {
        return "";
    }
}
