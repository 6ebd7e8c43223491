import { MigrationInterface, QueryRunner } from "typeorm";

// Routing's tables under the foreign-key policy of ForeignKeys1795317414399: an agent's state,
// presence and loads go with their user; a skill's routing settings with their skill; assignment
// history refuses the deletion of its case or agent (a record) and outlives its skill; an offer
// to a deleted user is dropped (the sweeper then routes the case again).

export class RoutingForeignKeys1795319532869 implements MigrationInterface {
    name = 'RoutingForeignKeys1795319532869'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_offered_to" FOREIGN KEY ("offered_to") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "agents" ADD CONSTRAINT "fk_agents_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "agent_presence" ADD CONSTRAINT "fk_agent_presence_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "agent_loads" ADD CONSTRAINT "fk_agent_loads_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "case_assignments" ADD CONSTRAINT "fk_case_assignments_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "case_assignments" ADD CONSTRAINT "fk_case_assignments_agent" FOREIGN KEY ("agent_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "case_assignments" ADD CONSTRAINT "fk_case_assignments_skill" FOREIGN KEY ("skill_id") REFERENCES "skills"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "idle_reasons" ADD CONSTRAINT "fk_idle_reasons_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "routing_settings" ADD CONSTRAINT "fk_routing_settings_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "skill_routing" ADD CONSTRAINT "fk_skill_routing_skill" FOREIGN KEY ("skill_id") REFERENCES "skills"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "skill_routing" DROP CONSTRAINT "fk_skill_routing_skill"`);
        await queryRunner.query(`ALTER TABLE "routing_settings" DROP CONSTRAINT "fk_routing_settings_tenant"`);
        await queryRunner.query(`ALTER TABLE "idle_reasons" DROP CONSTRAINT "fk_idle_reasons_tenant"`);
        await queryRunner.query(`ALTER TABLE "case_assignments" DROP CONSTRAINT "fk_case_assignments_skill"`);
        await queryRunner.query(`ALTER TABLE "case_assignments" DROP CONSTRAINT "fk_case_assignments_agent"`);
        await queryRunner.query(`ALTER TABLE "case_assignments" DROP CONSTRAINT "fk_case_assignments_case"`);
        await queryRunner.query(`ALTER TABLE "agent_loads" DROP CONSTRAINT "fk_agent_loads_user"`);
        await queryRunner.query(`ALTER TABLE "agent_presence" DROP CONSTRAINT "fk_agent_presence_user"`);
        await queryRunner.query(`ALTER TABLE "agents" DROP CONSTRAINT "fk_agents_user"`);
        await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_offered_to"`);
    }

}
