import { MigrationInterface, QueryRunner } from 'typeorm';

/** The customer's time zone on each order, and which gate contact each mail in the outbox is for. */
export class CustomerTimeZoneAndMailContacts1764835200060 implements MigrationInterface {
  name = 'CustomerTimeZoneAndMailContacts1764835200060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN customer_time_zone text`);
    // A removed contact takes its unsent mails and their attempts with it, as an unsubscribed webhook does.
    await q.query(`ALTER TABLE notifications ADD COLUMN contact_id uuid REFERENCES gate_contacts (id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX ix_notification_contact ON notifications (contact_id)`);
    // Mails queued before: their contact is the customer's contact with that address.
    await q.query(`
      UPDATE notifications n SET contact_id = c.id
        FROM deliveries d, gate_contacts c
       WHERE n.channel = 'mail' AND n.contact_id IS NULL AND d.id = n.delivery_id
         AND c.customer_id = d.customer_id AND c.email = n.target`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS contact_id`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN IF EXISTS customer_time_zone`);
  }
}
