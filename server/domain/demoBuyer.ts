import type { Address, Buyer, Region } from './types.js';

/** The sandbox-style test buyer attached when the mock approves a session on the buyer's behalf. */
export function demoBuyer(buyerId: string, region: Region): Buyer {
  return {
    buyerId,
    name: region === 'jp' ? 'テスト 購入者' : 'Test Buyer',
    email: 'test.buyer@example.com',
    phoneNumber: region === 'jp' ? '0312345678' : region === 'eu' ? '+4930123456' : '8005550100',
    primeMembershipTypes: null,
  };
}

const emptyAddress: Address = {
  name: null, addressLine1: null, addressLine2: null, addressLine3: null, city: null, county: null,
  district: null, stateOrRegion: null, postalCode: null, countryCode: null, phoneNumber: null,
};

/** A plausible address in the region's main country. */
export function demoAddress(region: Region): Address {
  if (region === 'jp') {
    return { ...emptyAddress, name: 'テスト 購入者', addressLine1: '千代田1-1', city: '千代田区', stateOrRegion: '東京都', postalCode: '100-0001', countryCode: 'JP', phoneNumber: '0312345678' };
  }
  if (region === 'eu') {
    return { ...emptyAddress, name: 'Test Buyer', addressLine1: 'Musterstraße 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE', phoneNumber: '+4930123456' };
  }
  return { ...emptyAddress, name: 'Test Buyer', addressLine1: '410 Terry Ave N', city: 'Seattle', stateOrRegion: 'WA', postalCode: '98109', countryCode: 'US', phoneNumber: '8005550100' };
}

/** Fills every Address key, so partial addresses from a caller still have the full wire shape. */
export function completeAddress(partial: Partial<Address> | null | undefined): Address | null {
  if (!partial) return null;
  return { ...emptyAddress, ...partial };
}
