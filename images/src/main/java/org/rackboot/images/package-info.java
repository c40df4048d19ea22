/** The image store: content-addressed blobs, image manifests, per-environment pins. */
package org.rackboot.images;
