package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a publisher asks for: the manifest as sent over the API or found as {@code manifest.json}
 * in an imported directory or tarball. {@link #normalize()} checks every field at the edge.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ImageSpec(
    @Schema(requiredMode = RequiredMode.REQUIRED) String name,
    @Schema(requiredMode = RequiredMode.REQUIRED) String version,
    @Schema(requiredMode = RequiredMode.REQUIRED) String os,
    @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 40) String arch,
    @Schema(maxLength = 4000) String bootArgs,
    @Schema(maxLength = 20000) String notes,
    @Schema(requiredMode = RequiredMode.REQUIRED) List<ArtifactSpec> artifacts) {

  private static final Pattern ARTIFACT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+ -]{0,99}");

  /**
   * One artifact. {@code file} is the path inside an imported tree (defaults to {@code name});
   * {@code sha256} and {@code size} are required over the API and checked when given on import.
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record ArtifactSpec(
      @Schema(requiredMode = RequiredMode.REQUIRED) String name,
      @Schema(requiredMode = RequiredMode.REQUIRED, implementation = Part.class) String part,
      @Schema(requiredMode = RequiredMode.REQUIRED, description = "required over the API")
          String sha256,
      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0",
          description = "required over the API") Long size,
      @Schema(description = "path inside an imported tree; import only") String file) {}

  /** A copy with names lower-cased and every field checked; throws naming the bad field. */
  public ImageSpec normalize() {
    String n = Names.name("name", name);
    String v = Names.version("version", version);
    String o = word("os", os);
    String a = word("arch", arch).toLowerCase(Locale.ROOT);
    if (a.length() > 40) {
      // The column is 40 wide (x86_64, aarch64, riscv64 need 7).
      throw ImageStoreException.invalid("arch", "expected at most 40 characters, got " + a.length());
    }
    if (bootArgs != null && bootArgs.length() > 4000) {
      throw ImageStoreException.invalid("bootArgs", "expected at most 4000 characters, got " + bootArgs.length());
    }
    if (notes != null && notes.length() > 20000) {
      throw ImageStoreException.invalid("notes", "expected at most 20000 characters, got " + notes.length());
    }
    if (artifacts == null || artifacts.isEmpty()) {
      throw ImageStoreException.invalid("artifacts", "expected at least one artifact, got none");
    }
    if (artifacts.size() > 1000) {
      throw ImageStoreException.invalid("artifacts", "expected at most 1000, got " + artifacts.size());
    }
    List<ArtifactSpec> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < artifacts.size(); i++) {
      ArtifactSpec s = artifacts.get(i);
      String f = "artifacts[" + i + "]";
      if (s == null) {
        throw ImageStoreException.invalid(f, "expected an artifact, got null");
      }
      if (s.name() == null || !ARTIFACT_NAME.matcher(s.name()).matches()) {
        throw ImageStoreException.invalid(f + ".name",
            "expected 1-200 characters of A-Z, a-z, 0-9, '.', '_', '+', '-', got '" + Names.shorten(s.name()) + "'");
      }
      // Case-insensitive uniqueness: MariaDB would not tell "vmlinuz" from "VMLINUZ".
      if (!seen.add(s.name().toLowerCase(Locale.ROOT))) {
        throw ImageStoreException.invalid(f + ".name", "duplicate artifact name '" + s.name() + "'");
      }
      Part p = Part.of(s.part());
      String sha = s.sha256() == null ? null : Sha256.of(s.sha256()).hex();
      if (s.size() != null && s.size() < 0) {
        throw ImageStoreException.invalid(f + ".size", "expected a size >= 0, got " + s.size());
      }
      out.add(new ArtifactSpec(s.name(), p.wire(), sha, s.size(), s.file() == null ? s.name() : s.file()));
    }
    return new ImageSpec(n, v, o, a, bootArgs, notes, List.copyOf(out));
  }

  private static String word(String field, String value) {
    if (value == null || !WORD.matcher(value.trim()).matches()) {
      throw ImageStoreException.invalid(field,
          "expected 1-100 characters of letters, digits, '.', '_', '+', '-', space, got '" + Names.shorten(value) + "'");
    }
    return value.trim();
  }
}
