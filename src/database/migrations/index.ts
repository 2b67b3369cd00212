import { CreateTenantsAndCatalog1795513431984 } from './1795513431984-CreateTenantsAndCatalog.js';
import { CreateHostBindingsAndTokens1796099655211 } from './1796099655211-CreateHostBindingsAndTokens.js';
import { CreatePublishing1796101699087 } from './1796101699087-CreatePublishing.js';
import { CreateHostCallbacksInbox1796103187290 } from './1796103187290-CreateHostCallbacksInbox.js';
import { CreateListingSync1796114862535 } from './1796114862535-CreateListingSync.js';
import { CreatePartners1796114914828 } from './1796114914828-CreatePartners.js';
import { CreateFeedIndexes1796116869932 } from './1796116869932-CreateFeedIndexes.js';
import { CreateWebhooks1796119086439 } from './1796119086439-CreateWebhooks.js';
import { NotifyApiKeyChanges1796200000000 } from './1796200000000-NotifyApiKeyChanges.js';
import { ListingEventsProgramTxIndex1796210000000 } from './1796210000000-ListingEventsProgramTxIndex.js';

// Every migration, oldest first. Generated with `npm run migration:generate -- <Name>`, read, then listed here.
export const MIGRATIONS = [
  CreateTenantsAndCatalog1795513431984,
  CreateHostBindingsAndTokens1796099655211,
  CreatePublishing1796101699087,
  CreateHostCallbacksInbox1796103187290,
  CreateListingSync1796114862535,
  CreatePartners1796114914828,
  CreateFeedIndexes1796116869932,
  CreateWebhooks1796119086439,
  NotifyApiKeyChanges1796200000000,
  ListingEventsProgramTxIndex1796210000000,
];
