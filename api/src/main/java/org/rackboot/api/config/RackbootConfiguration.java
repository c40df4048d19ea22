package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Everything in rackboot.yml; every key is documented there and in README.md. */
public class RackbootConfiguration extends Configuration {

  @Valid @NotNull @JsonProperty private DataSourceFactory database = new DataSourceFactory();

  /** Apply pending schema migrations when the server starts. */
  @JsonProperty private boolean migrateOnStart = true;

  @Valid @NotNull @JsonProperty private ImagesFactory images = new ImagesFactory();

  @Valid @NotNull @JsonProperty private TftpFactory tftp = new TftpFactory();

  @Valid @NotNull @JsonProperty private DhcpProxyFactory dhcpProxy = new DhcpProxyFactory();

  @Valid @NotNull @JsonProperty private ApiFactory api = new ApiFactory();

  @Valid @NotNull @JsonProperty private BootFactory boot = new BootFactory();

  @Valid @NotNull @JsonProperty private BmcFactory bmc = new BmcFactory();

  public BmcFactory getBmc() {
    return bmc;
  }

  public BootFactory getBoot() {
    return boot;
  }

  public DataSourceFactory getDatabase() {
    return database;
  }

  public boolean isMigrateOnStart() {
    return migrateOnStart;
  }

  public ImagesFactory getImages() {
    return images;
  }

  public TftpFactory getTftp() {
    return tftp;
  }

  public DhcpProxyFactory getDhcpProxy() {
    return dhcpProxy;
  }

  public ApiFactory getApi() {
    return api;
  }
}
