#ifndef CRM_CA_BUNDLE_H
#define CRM_CA_BUNDLE_H

/*
 * The system's CA bundle, loaded only when crm may talk TLS (see
 * ca-bundle.c): libgit2 is initialised between crm_ca_bundle_defer(1)
 * and crm_ca_bundle_defer(0), and crm_ca_bundle_load() is called before
 * anything connects to a remote.
 */
void crm_ca_bundle_defer(int on);
void crm_ca_bundle_load(void);

#endif
